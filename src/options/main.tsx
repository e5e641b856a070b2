import { render } from 'preact';
import { t } from '../shared/i18n.ts';
import { UserModelOptions } from './UserModelOptions.tsx';
import './options.css';

document.documentElement.lang = t('languageTag');
document.title = t('optionsTitle');
render(
  <main>
    <h1>{t('optionsTitle')}</h1>
    <UserModelOptions />
  </main>,
  document.getElementById('app')!,
);
