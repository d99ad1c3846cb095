import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Output } from '../../../../shared/api.ts'
import type { RoundStatus } from '../../../../shared/vocabulary.ts'
import { useData } from '../../ui/data.ts'

type RoundRow = Output<'rounds.list'>['rows'][number]

/**
 * The rounds and the one chosen: the given one, else the first in one of the `prefer` statuses (an open
 * round for entering orders, a closed one for consolidation), else the newest.
 */
export function useRoundChoice(prefer: readonly RoundStatus[], initial = '') {
  const rounds = useData('rounds.list', { limit: 100 }, ['rounds'])
  const [chosen, setChosen] = useState(initial)
  const rows = rounds.data?.rows ?? []
  const roundId = chosen || rows.find((r) => prefer.includes(r.status))?.id || rows[0]?.id || ''
  return { rows, roundId, round: rows.find((r) => r.id === roundId), setRoundId: setChosen, error: rounds.error }
}

/** A labelled select of the rounds, each with its translated status. */
export function RoundSelect(props: { id: string; rows: RoundRow[]; value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation()
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.rows.map((r) => (
        <option key={r.id} value={r.id}>
          {`${r.name} (${t(`roundStatus.${r.status}`)})`}
        </option>
      ))}
    </select>
  )
}

/** The round select with its label, as pages that work on one round show it at the top. */
export function RoundField(props: { label: string; rows: RoundRow[]; value: string; onChange: (id: string) => void }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={`${id}-round`}>{props.label}</label>
      <RoundSelect id={`${id}-round`} rows={props.rows} value={props.value} onChange={props.onChange} />
    </div>
  )
}
