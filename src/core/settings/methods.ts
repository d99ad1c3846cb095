import { mutation, none, query } from '../api/define.ts'
import { getOrganisation, organisationInput, saveOrganisation } from './organisation.ts'

/** The organisation that runs the workspace. */
export const settingsMethods = {
  'settings.get': query(none, ({ session }) => getOrganisation(session.requireWorkspace())),
  'settings.save': mutation(['settings'], organisationInput, ({ session }, input) => saveOrganisation(session.requireWorkspace(), input))
}
