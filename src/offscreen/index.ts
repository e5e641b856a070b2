/** Chrome's offscreen document: hosts inference (a service worker cannot) and answers the worker's messages. */
import browser from 'webextension-polyfill';
import { isToOffscreen } from '../shared/messages.ts';
import { startInference } from './inference.ts';

const handle = startInference();
browser.runtime.onMessage.addListener((message: unknown) => (isToOffscreen(message) ? handle(message) : undefined));
