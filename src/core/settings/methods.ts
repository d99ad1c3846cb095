import { z } from 'zod'
import { mutation, none, query } from '../api/define.ts'
import type { Workspace } from '../db/workspace.ts'
import { devicePrefix, listSeries, peekNumber, setDevicePrefix, setSeriesFormat, suggestedPrefix } from '../db/numbering.ts'
import { getOrganisation, organisationInput, saveOrganisation } from './organisation.ts'

/** The number series as the settings page shows them: format, and the next number this laptop would issue. */
function numbering(ws: Workspace) {
  const own = devicePrefix(ws.db, ws.deviceId)
  return {
    series: listSeries(ws.db).map((s) => ({ ...s, next: peekNumber(ws, s.series) })),
    /** This laptop's prefix: the one it numbers with, or (not yet registered) the one it would get. */
    prefix: own ?? suggestedPrefix(ws.db, ws.deviceId),
    registered: own !== null,
    /** How many laptops number in this workspace (not counting those another one replaced). */
    devices: ws.db.prepare('SELECT count(*) FROM device WHERE deleted_at IS NULL').pluck().get() as number
  }
}

/** The organisation that runs the workspace, and its number series. */
export const settingsMethods = {
  'settings.get': query(none, ({ session }) => getOrganisation(session.requireWorkspace())),
  'settings.save': mutation(['settings'], organisationInput, ({ session }, input) => saveOrganisation(session.requireWorkspace(), input)),

  'numbering.get': query(none, ({ session }) => numbering(session.requireWorkspace())),
  'numbering.setFormat': mutation(
    ['numbering'],
    z.object({ series: z.string().min(1).max(40), format: z.string().trim().min(1).max(60) }),
    ({ session }, { series, format }) => {
      const ws = session.requireWorkspace()
      setSeriesFormat(ws, series, format)
      return numbering(ws)
    }
  ),
  'numbering.setPrefix': mutation(
    ['numbering'],
    z.object({
      prefix: z.string().trim().toUpperCase().max(3, { message: 'prefix' }),
      /** This laptop replaces the one that numbers with this prefix, and goes on with its count. */
      takeOver: z.boolean().default(false)
    }),
    ({ session }, { prefix, takeOver }) => {
      const ws = session.requireWorkspace()
      setDevicePrefix(ws, ws.deviceId, prefix, takeOver)
      return numbering(ws)
    }
  )
}
