/**
 * Settings: the C2PA trust lists. Shows the lists the build embedded and those the user added; imports PEM files;
 * downloads the official list only when the user clicks (the only request Frameproof makes on its own behalf).
 */
import { useEffect, useState } from 'preact/hooks';
import { countCertificates, OFFICIAL_TRUST_LIST_URL, type TrustIndexEntry } from '../evidence/trust.ts';
import { embeddedTrustIndex } from '../shared/embedded-trust.ts';
import { formatDate, t, tPlural } from '../shared/i18n.ts';
import { addUserTrust, loadUserTrust, removeUserTrust, USER_TRUST_KEY } from '../shared/trust-store.ts';
import { useStored } from './use-storage.ts';

const OFFICIAL_DOWNLOAD_NAME = 'C2PA-TRUST-LIST.pem (downloaded)';

export function TrustLists() {
  const userLists = useStored(loadUserTrust, (key) => key === USER_TRUST_KEY);
  const [embedded, setEmbedded] = useState<TrustIndexEntry[]>();
  const [message, setMessage] = useState('');
  useEffect(() => {
    void embeddedTrustIndex().then(setEmbedded);
  }, []);

  const importFiles = async (files: FileList | null) => {
    for (const file of files ?? []) {
      try {
        await addUserTrust(file.name, await file.text());
        setMessage(t('trustAdded', file.name));
      } catch (error) {
        setMessage((error as Error).message);
      }
    }
  };
  const downloadOfficial = async () => {
    setMessage(t('trustDownloading'));
    try {
      const response = await fetch(OFFICIAL_TRUST_LIST_URL);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      // One name, so a new download replaces the old one: certificates dropped from the list stop being trusted.
      await addUserTrust(OFFICIAL_DOWNLOAD_NAME, await response.text());
      setMessage(t('trustDownloaded', formatDate(new Date())));
    } catch (error) {
      setMessage(t('trustDownloadFailed', (error as Error).message));
    }
  };

  const none = embedded?.length === 0 && userLists?.length === 0;
  return (
    <fieldset class="trust-lists">
      <legend>{t('trustLegend')}</legend>
      <p class="note">
        {t('trustNote')} {none && t('trustNoneNote')}
      </p>
      <ul class="sites" data-testid="trust-lists">
        {embedded?.map((list) => (
          <li title={`sha256 ${list.sha256}`}>
            <span class="site">{t('trustBuiltIn', list.name, list.role === 'config' ? t('trustKeyUsages') : tPlural('trustCertificates', list.certificates))}</span>
          </li>
        ))}
        {userLists?.map((list) => (
          <li>
            <span class="site">{t('trustYours', list.name, tPlural('trustCertificates', countCertificates(list.text)))}</span>
            <button class="delete" aria-label={t('trustRemove', list.name)} title={t('trustRemove', list.name)} onClick={() => void removeUserTrust(list.name)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <div class="toolbar">
        <label class="file-button">
          {t('trustImport')}
          <input
            type="file"
            accept=".pem,.crt,.cer,text/plain"
            multiple
            aria-label={t('trustImportLabel')}
            onChange={(event) => void importFiles(event.currentTarget.files)}
          />
        </label>
        <button onClick={() => void downloadOfficial()}>{t('trustDownload')}</button>
      </div>
      {/* Always there, so that screen readers follow it before its first message. */}
      <p class="note" role="status">
        {message}
      </p>
    </fieldset>
  );
}

