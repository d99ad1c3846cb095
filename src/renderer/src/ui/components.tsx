import { useEffect, useId, useRef, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from './api.ts'

/** A translated error from the core (or any thrown value), announced to screen readers. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation()
  if (!error) return null
  return (
    <p className="message error" role="alert">
      {errorText(t, error)}
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
 * A modal question before a step: `title` asks it, `text` says what will happen (and what will not),
 * `confirmLabel` names the step ("Delete", "Set back to draft"; else "Confirm"). Only a destructive step
 * (delete, archive, discard, overwrite) sets `danger`, which colours its button red; any other gets the
 * primary colour. Escape cancels; focus starts on Cancel.
 */
export function ConfirmDialog(props: {
  open: boolean
  title?: string | undefined
  text: string
  confirmLabel?: string | undefined
  danger?: boolean | undefined
  onConfirm: () => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const titleId = useId()
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
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={props.title ? titleId : textId}
      aria-describedby={props.title ? textId : undefined}
      onCancel={(e) => {
        e.preventDefault()
        props.onCancel()
      }}
    >
      {props.title ? (
        <h2 id={titleId} className="dialog-title">
          {props.title}
        </h2>
      ) : null}
      <p id={textId}>{props.text}</p>
      <div className="actions">
        <button type="button" ref={cancelRef} onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
          {props.confirmLabel ?? t('common.confirm')}
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
