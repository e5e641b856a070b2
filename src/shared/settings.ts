/** User settings: auto-check on or off, sites where it is off, and the sensitivity level. */
import { SENSITIVITIES, type Sensitivity } from '../detector/sidecar.ts';

export interface Settings {
  autoCheck: boolean;
  /** Host names; a site also covers its subdomains. */
  disabledSites: string[];
  sensitivity: Sensitivity;
}

export const SETTINGS_KEY = 'settings';

export function defaultSettings(sensitivity: Sensitivity): Settings {
  return { autoCheck: true, disabledSites: [], sensitivity };
}

/** Whatever storage holds (nothing, an older shape, hand edits) becomes valid settings. */
export function parseSettings(raw: unknown, defaults: Settings): Settings {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof Settings, unknown>>;
  const sites = Array.isArray(value.disabledSites) ? value.disabledSites : [];
  return {
    autoCheck: typeof value.autoCheck === 'boolean' ? value.autoCheck : defaults.autoCheck,
    disabledSites: [...new Set(sites.map((s) => (typeof s === 'string' ? normaliseSite(s) : null)))].filter(
      (s): s is string => s !== null,
    ),
    sensitivity: SENSITIVITIES.includes(value.sensitivity as Sensitivity)
      ? (value.sensitivity as Sensitivity)
      : defaults.sensitivity,
  };
}

/** "https://www.Example.com/a", "*.example.com" or "example.com." → "www.example.com" / "example.com"; junk → null. */
export function normaliseSite(input: string): string | null {
  let text = input.trim().toLowerCase().replace(/^\*\./, '');
  if (!text) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(text)) text = `http://${text}`;
  try {
    const host = new URL(text).hostname.replace(/\.$/, '');
    return host || null;
  } catch {
    return null;
  }
}

export function hostOf(pageUrl: string): string | null {
  try {
    return new URL(pageUrl).hostname || null;
  } catch {
    return null;
  }
}

export function isSiteDisabled(settings: Settings, pageUrl: string): boolean {
  const host = hostOf(pageUrl);
  if (!host) return false;
  return settings.disabledSites.some((site) => host === site || host.endsWith(`.${site}`));
}

export function isAutoCheckOn(settings: Settings, pageUrl: string): boolean {
  return settings.autoCheck && !isSiteDisabled(settings, pageUrl);
}
