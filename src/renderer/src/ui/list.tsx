import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Topic } from '../../../shared/events.ts'
import { ErrorMessage } from './components.tsx'
import { formatNumber } from './format.ts'
import { type ListMethod, type ListParams, type ListRow, useDebounced, usePagedList } from './data.ts'
import { navigate } from './route.ts'

/** Every row has this height (styles.css keeps it), so the scroller knows where row n is without measuring. */
export const ROW_HEIGHT = 38
/** The height of the sticky column headers (styles.css). */
export const HEAD_HEIGHT = 42

export interface Column<R> {
  key: string
  label: string
  /** The core's sort key; columns without one are not sortable. */
  sort?: string
  /** A CSS width such as '8rem'; columns without one share the rest. */
  width?: string
  /** 'num' right-aligns (amounts, counts). */
  className?: string
  render: (row: R) => ReactNode
}

type Archived = 'active' | 'archived' | 'all'

interface ListState {
  search: string
  sort: string
  dir: 'asc' | 'desc'
  archived: Archived
}

/** What each list showed last (search, sort, filter), so coming back from a form finds it as it was. */
const remembered = new Map<string, ListState>()

export interface DataListProps<K extends ListMethod> {
  /** Names the list for remembering its state, and prefixes its element ids. */
  name: string
  method: K
  /** The change topics that make the list reload. */
  topics: Topic[]
  columns: Column<ListRow<K>>[]
  defaultSort: string
  /** Extra filters sent with every page (e.g. a supplier). */
  params?: Partial<ListParams<K>>
  /** The id of the heading that names the table. */
  labelledBy: string
  /** Where a row leads (Enter, click, the link in its first cell). */
  rowHref: (row: ListRow<K>) => string
  /** More controls for the toolbar (filters), shown after the search box. */
  toolbar?: ReactNode
  /** Lists whose rows cannot be archived (order lines) hide the active/archived filter. */
  noArchive?: boolean
}

/**
 * The one list of the app: search, sortable columns, an active/archived filter and a row count over a
 * virtualised table. Only the rows on screen (and a few more) are in the DOM; rows are fetched in pages
 * as the list scrolls. Rows are focusable: ArrowUp/ArrowDown/Home/End/PageUp/PageDown move, Enter opens.
 */
export function DataList<K extends ListMethod>(props: DataListProps<K>) {
  const { t, i18n } = useTranslation()
  const id = useId()
  const [state, setState] = useState<ListState>(
    () => remembered.get(props.name) ?? { search: '', sort: props.defaultSort, dir: 'asc', archived: 'active' }
  )
  useEffect(() => {
    remembered.set(props.name, state)
  }, [props.name, state])

  const search = useDebounced(state.search.trim(), 200)
  const params = {
    ...props.params,
    ...(search ? { search } : {}),
    sort: state.sort,
    dir: state.dir,
    archived: state.archived
  } as ListParams<K>
  const list = usePagedList(props.method, params, props.topics)
  const total = list.total ?? 0
  const paramsKey = JSON.stringify(params)

  const scrollRef = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders through its own state.
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT
  })
  const items = virtualizer.getVirtualItems()
  const firstIndex = items[0]?.index ?? 0
  const lastIndex = items[items.length - 1]?.index ?? 0

  // Fetch the pages the rows on screen need (shortly after scrolling stops, so a fling loads no pages in between).
  const { ensure } = list
  useEffect(() => {
    const timer = setTimeout(() => ensure(firstIndex, lastIndex), list.total === null ? 0 : 40)
    return () => clearTimeout(timer)
  }, [ensure, firstIndex, lastIndex, list.total])

  // A new search or filter starts at the top.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0
  }, [paramsKey])

  // The row that takes Tab focus (roving tabindex); it follows the keyboard and clicks.
  const [activeState, setActive] = useState({ key: paramsKey, index: 0 })
  const active = activeState.key === paramsKey ? Math.min(activeState.index, Math.max(total - 1, 0)) : 0
  const tabbable = active >= firstIndex && active <= lastIndex ? active : firstIndex
  const pendingFocus = useRef<number | null>(null)

  const focusRow = (index: number) => {
    const el = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`)
    if (el) {
      el.focus()
      pendingFocus.current = null
    } else pendingFocus.current = index
  }
  // A row scrolled to by the keyboard may only exist after the next render.
  useEffect(() => {
    if (pendingFocus.current !== null) focusRow(pendingFocus.current)
  })

  const moveTo = (index: number) => {
    if (total === 0) return
    const target = Math.max(0, Math.min(total - 1, index))
    setActive({ key: paramsKey, index: target })
    virtualizer.scrollToIndex(target, { align: 'auto' })
    focusRow(target)
  }

  const open = (row: ListRow<K> | undefined) => {
    if (row) navigate(props.rowHref(row))
  }

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const visibleRows = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEAD_HEIGHT) / ROW_HEIGHT) - 1)
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: total - 1,
      PageDown: index + visibleRows,
      PageUp: index - visibleRows
    }
    if (e.key in moves) {
      e.preventDefault()
      moveTo(moves[e.key]!)
    } else if (e.key === 'Enter') {
      e.preventDefault()
      open(list.rowAt(index))
    }
  }

  const sortBy = (key: string) =>
    setState((s) => ({ ...s, sort: key, dir: s.sort === key && s.dir === 'asc' ? 'desc' : 'asc' }))

  const top = items.length ? items[0]!.start - HEAD_HEIGHT : 0
  const bottom = items.length ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - HEAD_HEIGHT) : 0
  const locale = i18n.language

  return (
    <div className="data-list">
      <div className="toolbar">
        <div className="tool">
          <label htmlFor={`${id}-search`}>{t('list.search')}</label>
          <input
            id={`${id}-search`}
            type="search"
            autoComplete="off"
            value={state.search}
            aria-describedby={`${id}-count`}
            onChange={(e) => setState((s) => ({ ...s, search: e.target.value }))}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' && total > 0) {
                e.preventDefault()
                moveTo(active)
              }
            }}
          />
        </div>
        {props.toolbar}
        {props.noArchive ? null : (
        <div className="tool">
          <label htmlFor={`${id}-archived`}>{t('list.show')}</label>
          <select
            id={`${id}-archived`}
            value={state.archived}
            onChange={(e) => setState((s) => ({ ...s, archived: e.target.value as Archived }))}
          >
            <option value="active">{t('list.active')}</option>
            <option value="archived">{t('list.archived')}</option>
            <option value="all">{t('list.all')}</option>
          </select>
        </div>
        )}
        <p id={`${id}-count`} className="count" role="status">
          {list.total === null ? t('app.loading') : t('list.count', { count: list.total, total: formatNumber(list.total, locale) })}
        </p>
      </div>
      <ErrorMessage error={list.error} />
      <div className="list-scroll" ref={scrollRef}>
        <table className="list" aria-labelledby={props.labelledBy} aria-rowcount={total + 1}>
          <colgroup>
            {props.columns.map((c) => (
              <col key={c.key} style={c.width ? { width: c.width } : undefined} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              {props.columns.map((c) => {
                const sorted = state.sort === c.sort
                return (
                  <th
                    key={c.key}
                    scope="col"
                    className={c.className}
                    aria-sort={c.sort ? (sorted ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none') : undefined}
                  >
                    {c.sort ? (
                      <button type="button" className="sort" onClick={() => sortBy(c.sort!)}>
                        {c.label}
                        <span className="arrow" aria-hidden="true">
                          {sorted ? (state.dir === 'asc' ? '▲' : '▼') : '↕'}
                        </span>
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody>
            {top > 0 ? (
              <tr className="spacer" aria-hidden="true">
                <td colSpan={props.columns.length} style={{ height: top }} />
              </tr>
            ) : null}
            {items.map((item) => {
              const row = list.rowAt(item.index)
              const archived = Boolean(row && (row as { archived?: boolean }).archived)
              return (
                <tr
                  key={item.index}
                  data-index={item.index}
                  aria-rowindex={item.index + 2}
                  tabIndex={item.index === tabbable ? 0 : -1}
                  className={archived ? 'archived' : undefined}
                  onFocus={() => {
                    if (active !== item.index) setActive({ key: paramsKey, index: item.index })
                  }}
                  onClick={() => open(row)}
                  onKeyDown={(e) => onRowKey(e, item.index)}
                >
                  {row ? (
                    props.columns.map((c, i) => {
                      const content = c.render(row)
                      return (
                        // Cut-off texts show in full on hover.
                        <td key={c.key} className={c.className} title={typeof content === 'string' ? content : undefined}>
                          {i === 0 ? (
                            <span className="first-cell">
                              <a href={props.rowHref(row)} tabIndex={-1}>
                                {content}
                              </a>
                              {archived ? <span className="badge small">{t('list.archivedBadge')}</span> : null}
                            </span>
                          ) : (
                            content
                          )}
                        </td>
                      )
                    })
                  ) : (
                    <td colSpan={props.columns.length} className="muted">
                      {t('app.loading')}
                    </td>
                  )}
                </tr>
              )
            })}
            {bottom > 0 ? (
              <tr className="spacer" aria-hidden="true">
                <td colSpan={props.columns.length} style={{ height: bottom }} />
              </tr>
            ) : null}
          </tbody>
        </table>
        {list.total === 0 && list.current ? <p className="empty muted">{t('list.empty')}</p> : null}
      </div>
    </div>
  )
}
