/** Auto-check on or off, the sites where it is off, and the sensitivity (the sidecar's calibrated levels). */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { SENSITIVITIES } from '../detector/sidecar.ts';
import { t } from '../shared/i18n.ts';
import { detectorSidecar } from '../shared/model.ts';
import { describeSensitivity } from '../shared/sensitivity.ts';
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
  if (!settings) return <p class="empty">Loading settings…</p>;

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
        Check images and videos as they appear
      </label>
      <p class="note">When off, right-click an image or video → “Check with Frameproof”.</p>

      <fieldset>
        <legend>Sites where auto-check is off</legend>
        {activeHost && !settings.disabledSites.includes(activeHost) && (
          <button onClick={() => addSite(activeHost)}>Turn off on {activeHost}</button>
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
            aria-label="Add a site"
            placeholder="example.com"
            value={newSite}
            onInput={(event) => setNewSite(event.currentTarget.value)}
          />
          <button type="submit">Add</button>
        </form>
        <SiteList settings={settings} onRemove={removeSite} />
      </fieldset>

      <fieldset>
        <legend>Sensitivity</legend>
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
              <strong>{level}</strong>
              {level === detectorSidecar.thresholds.default && ' (default)'} — {describeSensitivity(detectorSidecar, level)}
            </span>
          </label>
        ))}
        <p class="note">Thresholds come from the model's calibration ({detectorSidecar.name}@{detectorSidecar.version}).</p>
      </fieldset>

      <TrustLists />

      <button type="button" data-testid="open-options" onClick={() => void browser.runtime.openOptionsPage()}>
        {t('popupOpenOptions')}
      </button>
    </div>
  );
}

function SiteList({ settings, onRemove }: { settings: Settings; onRemove: (site: string) => void }) {
  if (settings.disabledSites.length === 0) return <p class="note">None.</p>;
  return (
    <ul class="sites">
      {settings.disabledSites.map((site) => (
        <li>
          {site}
          <button class="delete" aria-label={`Turn auto-check back on for ${site}`} onClick={() => onRemove(site)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
