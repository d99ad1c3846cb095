import type { Output } from '../../../../shared/api.ts'

export type PaymentRow = Output<'payments.list'>[number]

/** A payment received that no buyer has been found for yet: it waits to be matched by hand. */
export const isOpen = (p: PaymentRow) => p.direction === 'in' && p.buyerId === null
