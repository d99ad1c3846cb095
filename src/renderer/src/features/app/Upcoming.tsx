import { useTranslation } from 'react-i18next'
import { PageTitle } from '../../ui/components.tsx'

export function Upcoming({ section }: { section: string }) {
  const { t } = useTranslation()
  return (
    <section key={section}>
      <PageTitle>{t('upcoming.title', { section: t(`nav.${section}`) })}</PageTitle>
      <p>{t('upcoming.body')}</p>
    </section>
  )
}
