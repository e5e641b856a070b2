/**
 * Settings: the C2PA trust lists. Shows the lists the build embedded and those the user added; imports PEM files;
 * downloads the official list only when the user clicks (the only request Frameproof makes on its own behalf).
 */
import { useEffect, useState } from 'preact/hooks';
import { countCertificates, OFFICIAL_TRUST_LIST_URL, type TrustIndexEntry } from '../evidence/trust.ts';
import { embeddedTrustIndex } from '../shared/embedded-trust.ts';
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
        setMessage(`Added ${file.name}.`);
      } catch (error) {
        setMessage((error as Error).message);
      }
    }
  };
  const downloadOfficial = async () => {
    setMessage('Downloading the official C2PA trust list…');
    try {
      const response = await fetch(OFFICIAL_TRUST_LIST_URL);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      // One name, so a new download replaces the old one: certificates dropped from the list stop being trusted.
      await addUserTrust(OFFICIAL_DOWNLOAD_NAME, await response.text());
      setMessage(`Downloaded the official C2PA trust list (${new Date().toLocaleDateString()}).`);
    } catch (error) {
      setMessage(`Could not download it: ${(error as Error).message}`);
    }
  };

  const none = embedded?.length === 0 && userLists?.length === 0;
  return (
    <fieldset class="trust-lists">
      <legend>Content Credentials trust lists</legend>
      <p class="note">
        A signer on these lists reads “trusted”. {none && 'With no list, signers read “not checked”, never “untrusted”.'}
      </p>
      <ul class="sites" data-testid="trust-lists">
        {embedded?.map((list) => (
          <li title={`sha256 ${list.sha256}`}>
            {list.name} · {list.role === 'config' ? 'allowed key usages' : certificates(list.certificates)} · built in
          </li>
        ))}
        {userLists?.map((list) => (
          <li>
            {list.name} · {certificates(countCertificates(list.text))} · yours
            <button class="delete" aria-label={`Remove ${list.name}`} onClick={() => void removeUserTrust(list.name)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <div class="toolbar">
        <label class="file-button">
          Import PEM…
          <input
            type="file"
            accept=".pem,.crt,.cer,text/plain"
            multiple
            aria-label="Import trust list PEM files"
            onChange={(event) => void importFiles(event.currentTarget.files)}
          />
        </label>
        <button onClick={() => void downloadOfficial()}>Download the official list</button>
      </div>
      {message && (
        <p class="note" role="status">
          {message}
        </p>
      )}
    </fieldset>
  );
}

const certificates = (count: number) => `${count} ${count === 1 ? 'certificate' : 'certificates'}`;
