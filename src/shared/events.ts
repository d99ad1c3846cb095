/** What the core tells open views: a workspace was opened, data changed, the language was switched. */
export type AppEvent =
  | { type: 'workspace'; path: string }
  | { type: 'changed'; topics: string[] }
  | { type: 'language'; language: string }
  | { type: 'navigate'; to: string }
