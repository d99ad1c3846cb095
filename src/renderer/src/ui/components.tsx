import { useEffect, useId, useRef, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from './api.ts'

/** A translated error from the core (or any thrown value), announced to screen readers. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation()
  if (!error) return null
  const e = error instanceof ApiError ? error : new ApiError({ code: 'internal', params: { message: String(error) } })
  return (
    <p className="message error" role="alert">
      {t(`errors.${e.code}`, e.params as Record<string, string>)}
    </p>
  )
}

export function Status({ children }: { children: ReactNode }) {
  return (
    <p className="message ok" role="status">
      {children}
    </p>
  )
}

/**
 * A modal question with Confirm/Cancel; Escape cancels, focus starts on Cancel. Confirm is styled as
 * dangerous unless `danger` is false (a step that destroys nothing).
 */
export function ConfirmDialog(props: { open: boolean; text: string; danger?: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const textId = useId()
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (props.open && !d.open) {
      d.showModal()
      cancelRef.current?.focus()
    } else if (!props.open && d.open) d.close()
  }, [props.open])
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={textId} onCancel={props.onCancel}>
      <p id={textId}>{props.text}</p>
      <div className="actions">
        <button type="button" ref={cancelRef} onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className={props.danger === false ? 'primary' : 'danger'} onClick={props.onConfirm}>
          {t('common.confirm')}
        </button>
      </div>
    </dialog>
  )
}

/** The page heading; it takes focus when the page opens so keyboard and screen-reader users land there. */
/** False until the first page title has been shown: the page the app opens on keeps the focus where it is. */
let navigated = false

export function PageTitle({ children, id }: { children: ReactNode; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    // After moving to another page, focus goes to its heading so that screen readers announce it.
    // Not when the app opens: nothing moved, and focusing would force a layout before the first paint.
    if (navigated) ref.current?.focus()
    navigated = true
  }, [])
  return (
    <h1 ref={ref} id={id} tabIndex={-1}>
      {children}
    </h1>
  )
}
