/** Auto-check on or off, the sites where it is off, and the sensitivity (the sidecar's calibrated levels). */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { SENSITIVITIES } from '../detector/sidecar.ts';
import { t } from '../shared/i18n.ts';
import { detectorSidecar } from '../shared/model.ts';
import { describeSensitivity, sensitivityName } from '../shared/sensitivity.ts';
import { hostOf, normaliseSite, SETTINGS_KEY, type Settings } from '../shared/settings.ts';
import { loadSettings, saveSettings } from '../shared/settings-store.ts';
import { targetTab } from './active-tab.ts';
import { TrustLists } from './TrustLists.tsx';
import { useStored } from './use-storage.ts';

export function SettingsView() {
  const settings = useStored(loadSettings, (key) => key === SETTINGS_KEY);
  const [activeHost, setActiveHost] = useState<string | null>(null);
  const [newSite, setNewSite] = useState('');
  useEffect(() => {
    void targetTab().then((tab) => setActiveHost(tab?.url ? hostOf(tab.url) : null));
  }, []);
  if (!settings) return <p class="empty">{t('settingsLoading')}</p>;

  const addSite = (site: string | null) => {
    if (site && !settings.disabledSites.includes(site)) void saveSettings({ disabledSites: [...settings.disabledSites, site] });
  };
  const removeSite = (site: string) => void saveSettings({ disabledSites: settings.disabledSites.filter((s) => s !== site) });

  return (
    <div class="settings">
      <label class="switch">
        <input
          type="checkbox"
          name="autoCheck"
          checked={settings.autoCheck}
          onChange={(event) => void saveSettings({ autoCheck: event.currentTarget.checked })}
        />
        {t('settingsAutoCheck')}
      </label>
      <p class="note">{t('settingsAutoCheckOff', t('menuCheck'))}</p>

      <fieldset>
        <legend>{t('settingsSitesLegend')}</legend>
        {activeHost && !settings.disabledSites.includes(activeHost) && (
          <button onClick={() => addSite(activeHost)}>{t('settingsTurnOffOn', activeHost)}</button>
        )}
        <form
          class="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            addSite(normaliseSite(newSite));
            setNewSite('');
          }}
        >
          <input
            aria-label={t('settingsAddSiteLabel')}
            placeholder={t('settingsAddSitePlaceholder')}
            value={newSite}
            onInput={(event) => setNewSite(event.currentTarget.value)}
          />
          <button type="submit">{t('settingsAdd')}</button>
        </form>
        <SiteList settings={settings} onRemove={removeSite} />
      </fieldset>

      <fieldset>
        <legend>{t('sensitivity')}</legend>
        {SENSITIVITIES.map((level) => (
          <label class="radio">
            <input
              type="radio"
              name="sensitivity"
              value={level}
              checked={settings.sensitivity === level}
              onChange={() => void saveSettings({ sensitivity: level })}
            />
            <span>
              {t(
                level === detectorSidecar.thresholds.default ? 'settingsLevelDefault' : 'settingsLevel',
                sensitivityName(level),
                describeSensitivity(detectorSidecar, level),
              )}
            </span>
          </label>
        ))}
        <p class="note">{t('settingsThresholdsFrom', `${detectorSidecar.name}@${detectorSidecar.version}`)}</p>
      </fieldset>

      <TrustLists />

      <button type="button" data-testid="open-options" onClick={() => void browser.runtime.openOptionsPage()}>
        {t('popupOpenOptions')}
      </button>
    </div>
  );
}

function SiteList({ settings, onRemove }: { settings: Settings; onRemove: (site: string) => void }) {
  if (settings.disabledSites.length === 0) return <p class="note">{t('settingsNoSites')}</p>;
  return (
    <ul class="sites">
      {settings.disabledSites.map((site) => (
        <li>
          <span class="site">{site}</span>
          <button class="delete" aria-label={t('settingsSiteOn', site)} title={t('settingsSiteOn', site)} onClick={() => onRemove(site)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
