/**
 * English texts. The other languages must have exactly the same keys: their type is derived from this
 * object, and test/core/i18n.test.ts compares them at run time too.
 */
const en = {
  app: {
    name: 'Puente',
    tagline: 'Collective imports from Argentina’s worker-run cooperatives',
    skipToContent: 'Skip to content',
    loading: 'Loading…',
    demoBadge: 'Demo workspace',
    mainNavigation: 'Main navigation'
  },
  nav: {
    overview: 'Overview',
    catalogue: 'Catalogue',
    buyers: 'Buyers',
    rounds: 'Order rounds',
    consolidation: 'Consolidation',
    shipments: 'Shipments',
    invoices: 'Invoices',
    settings: 'Settings',
    diagnostics: 'Diagnostics'
  },
  language: {
    label: 'Language',
    de: 'Deutsch',
    es: 'Español',
    en: 'English'
  },
  overview: {
    title: 'Overview',
    intro: 'Puente helps your group collect orders, consolidate them into purchase orders per cooperative, and invoice every group to the cent.',
    workspace: 'Open workspace',
    organisation: 'Organisation',
    noOrganisation: 'No organisation yet: fill in the settings first.',
    recent: 'Recent workspaces',
    openRecent: 'Open {{name}}',
    current: 'open now',
    missing: 'file not found',
    today: 'Today is {{date}}.',
    example: 'Example amount: {{amount}} · example quantity: {{number}}'
  },
  upcoming: {
    title: '{{section}}',
    body: 'This part of Puente is being built. It will appear here in a coming version.'
  },
  settings: {
    title: 'Organisation settings',
    intro: 'These details appear on purchase orders, customs papers and invoices.',
    sectionIdentity: 'Organisation',
    sectionAddress: 'Address',
    sectionTax: 'Tax and customs',
    sectionBank: 'Bank account',
    sectionDocuments: 'Documents',
    name: 'Name',
    street: 'Street and number',
    postalCode: 'Postal code',
    city: 'City',
    country: 'Country',
    taxNumber: 'Tax number',
    vatId: 'VAT ID',
    vatIdHint: 'With country prefix, e.g. DE123456788.',
    eori: 'EORI number',
    iban: 'IBAN',
    bic: 'BIC',
    bankName: 'Bank',
    email: 'E-mail',
    phone: 'Phone',
    smallBusiness: 'Small-business VAT exemption (no VAT on invoices)',
    defaultLanguage: 'Default document language',
    defaultCurrency: 'Default currency',
    logo: 'Logo',
    logoHint: 'PNG or JPEG, at most 1 MB.',
    logoChoose: 'Choose a logo file',
    logoRemove: 'Remove logo',
    logoAlt: 'Logo of {{name}}',
    noLogo: 'No logo',
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved.',
    invalid: 'Please check the marked fields ({{count}}). Nothing was saved.',
    unsaved: 'Unsaved changes',
    shortcut: 'Ctrl+S saves.',
    notVerifiedOnline: 'Checked offline for format and check digit only.'
  },
  diagnostics: {
    title: 'Diagnostics',
    intro: 'Useful when you ask for help: copy these lines into your message.',
    appVersion: 'App version',
    schemaVersion: 'Schema version',
    schemaOf: '{{version}} of {{latest}}',
    workspacePath: 'Workspace file',
    workspaceId: 'Workspace ID',
    createdAt: 'Workspace created',
    deviceId: 'Device ID',
    sqlite: 'SQLite',
    runtime: 'Runtime',
    backupNow: 'Back up now',
    backupDone: 'Backup saved to {{path}}',
    recreateDemo: 'Recreate the demo workspace',
    recreateConfirm: 'Delete the demo workspace and create it again from scratch? All changes made in the demo are lost.',
    recreateDone: 'The demo workspace was created again.',
    none: '—'
  },
  common: {
    yes: 'Yes',
    no: 'No',
    cancel: 'Cancel',
    confirm: 'Confirm',
    close: 'Close',
    retry: 'Try again'
  },
  menu: {
    file: 'File',
    newWorkspace: 'New workspace…',
    openWorkspace: 'Open workspace…',
    openRecent: 'Open recent',
    noRecent: 'No recent workspaces',
    backupNow: 'Back up now',
    recreateDemo: 'Recreate demo workspace…',
    quit: 'Quit',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select all',
    view: 'View',
    reload: 'Reload',
    resetZoom: 'Actual size',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    fullscreen: 'Toggle full screen',
    help: 'Help',
    diagnostics: 'Diagnostics',
    about: 'About Puente',
    website: 'Puente on the web',
    workspaceFilter: 'Puente workspace',
    backupSaved: 'Backup saved',
    openFailed: 'The workspace could not be opened'
  },
  errors: {
    'api.unknown_method': 'The app asked for something it does not know ({{method}}). Please report this.',
    'api.bad_request': 'The request was malformed. Please report this.',
    validation: 'Some fields are not valid. Nothing was saved.',
    internal: 'Something went wrong inside Puente: {{message}}. Nothing was saved.',
    'workspace.none': 'No workspace is open.',
    'workspace.not_found': 'The workspace file was not found: {{path}}',
    'workspace.not_puente': 'This file is not a Puente workspace: {{path}}',
    'workspace.too_new': 'This workspace was saved by a newer version of Puente (schema {{version}}; this version reads up to {{supported}}). Please update Puente. The file was not changed.',
    'workspace.busy': 'The workspace is in use by another program. Close it there and try again.',
    'shell.unsupported': 'This is only possible in the desktop app.',
    'host.forbidden': 'This request is not allowed.',
    'host.bad_token': 'The session key is missing or wrong. Open the address printed by “npm run web”.',
    network: 'Puente’s background service cannot be reached. Is it still running?'
  },
  fieldErrors: {
    required: 'Required.',
    too_long: 'At most {{max}} characters.',
    invalid: 'Not valid.',
    email: 'Not a valid e-mail address.',
    country: 'Choose a country from the list.',
    currency: 'Choose a currency from the list.',
    language: 'Choose a language from the list.',
    iban_country: 'This IBAN starts with an unknown country code.',
    iban_length: 'This IBAN has the wrong length for its country.',
    iban_format: 'An IBAN has a country code, two check digits and the account number, e.g. DE89 3704 0044 0532 0130 00.',
    iban_checksum: 'The check digits do not match: there is a typo in this IBAN.',
    bic_format: 'A BIC has 8 or 11 letters and digits, e.g. COBADEFFXXX.',
    bic_country: 'This BIC has an unknown country code (letters 5 and 6).',
    vat_country: 'A VAT ID starts with an EU country code, e.g. DE.',
    vat_format: 'This VAT ID does not have the format of its country.',
    vat_checksum: 'The check digit does not match: there is a typo in this VAT ID.',
    eori_format: 'An EORI number is a country code and up to 15 letters or digits; German ones are DE and 15 digits.',
    logo_type: 'The logo must be a PNG or JPEG image.',
    logo_too_large: 'The logo is larger than 1 MB.'
  },
  countries: {
    label: 'Country'
  }
}

export default en
export type Resource = typeof en

/** The same keys as English, any strings. */
export type Translation<T = Resource> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> }
