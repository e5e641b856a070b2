import { render } from 'preact';
import { t, uiLocale } from '../shared/i18n.ts';
import { UserModelOptions } from './UserModelOptions.tsx';
import './options.css';

document.documentElement.lang = uiLocale();
document.title = t('optionsTitle');
render(
  <main>
    <h1>{t('optionsTitle')}</h1>
    <UserModelOptions />
  </main>,
  document.getElementById('app')!,
);
