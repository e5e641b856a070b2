import { render } from 'preact';
import { uiLocale } from '../shared/i18n.ts';
import { App } from './App.tsx';
import './popup.css';

// Screen readers pick their voice from it; popup.html can only say the default.
document.documentElement.lang = uiLocale();
render(<App />, document.getElementById('app')!);
