/** Bring your own model: import an ONNX classifier and its sidecar, see its checks and self-test, choose its role. */
import { useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import { sendToWorker } from '../shared/send.ts';
import { USER_MODEL_FAILURE_KEY, USER_MODEL_KEY, USER_MODEL_ROLES, userModelName, type UserModelConfig, type UserModelRole } from '../shared/user-model.ts';
import { deleteUserModelBytes, saveUserModelBytes } from '../shared/user-model-bytes.ts';
import {
  loadUserModelConfig,
  loadUserModelFailure,
  removeUserModelConfig,
  saveUserModelConfig,
  setUserModelRole,
} from '../shared/user-model-store.ts';
import { useStored } from '../popup/use-storage.ts';
import { importUserModel, selfTestLines, type ImportStep } from './import-model.ts';

const ROLE_LABELS: Record<UserModelRole, [Parameters<typeof t>[0], Parameters<typeof t>[0]]> = {
  off: ['roleOff', 'roleOffNote'],
  extra: ['roleExtra', 'roleExtraNote'],
  main: ['roleMain', 'roleMainNote'],
};

export function UserModelOptions() {
  // `null`: read, and nothing imported (undefined: not read yet).
  const config = useStored(async () => (await loadUserModelConfig()) ?? null, (key) => key === USER_MODEL_KEY);
  const failure = useStored(loadUserModelFailure, (key) => key === USER_MODEL_FAILURE_KEY);
  const [steps, setSteps] = useState<ImportStep[]>([]);
  const [busy, setBusy] = useState(false);

  const onImport = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const model = (form.elements.namedItem('model') as HTMLInputElement).files?.[0];
    const sidecar = (form.elements.namedItem('sidecar') as HTMLInputElement).files?.[0];
    if (!model || !sidecar) {
      setSteps([{ text: t('importNeedsBothFiles'), ok: false }]);
      return;
    }
    setBusy(true);
    const seen: ImportStep[] = [];
    setSteps([]);
    try {
      await importUserModel(
        { model: await model.arrayBuffer(), sidecarText: await sidecar.text() },
        config ?? undefined,
        {
          storeBytes: saveUserModelBytes,
          test: (parsed) => sendToWorker({ type: 'test-user-model', sidecar: parsed }),
          save: saveUserModelConfig,
          dropBytes: deleteUserModelBytes,
        },
        (step) => {
          seen.push(step);
          setSteps([...seen]);
        },
      );
    } catch (error) {
      // Reading the files or writing IndexedDB (quota, a private window) failed: said as the import's last step.
      seen.push({ text: t('importFailed', (error as Error).message ?? String(error)), ok: false });
      setSteps([...seen]);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    try {
      await removeUserModelConfig();
      await deleteUserModelBytes();
      setSteps([]);
    } catch (error) {
      setSteps([{ text: t('removeFailed', (error as Error).message ?? String(error)), ok: false }]);
    }
  };

  return (
    <section aria-labelledby="user-model-heading">
      <h2 id="user-model-heading">{t('userModelHeading')}</h2>
      <p class="note">{t('userModelIntro')}</p>
      {config && <CurrentModel config={config} failure={failure} onRemove={() => void remove()} />}
      <form onSubmit={(event) => void onImport(event)} aria-busy={busy}>
        <fieldset>
          <legend>{t(config ? 'importReplaceLegend' : 'importLegend')}</legend>
          <label>
            {t('importModelFile')} <input type="file" name="model" accept=".onnx" />
          </label>
          <label>
            {t('importSidecarFile')} <input type="file" name="sidecar" accept=".json,application/json" />
          </label>
          <button type="submit" disabled={busy}>
            {t(busy ? 'importRunning' : 'importButton')}
          </button>
        </fieldset>
      </form>
      <ul class="steps" role="status" aria-live="polite" data-testid="import-steps">
        {steps.map((step) => (
          <li class={step.ok ? 'ok' : 'failed error'}>{step.text}</li>
        ))}
      </ul>
    </section>
  );
}

function CurrentModel({
  config,
  failure,
  onRemove,
}: {
  config: UserModelConfig;
  failure: Awaited<ReturnType<typeof loadUserModelFailure>>;
  onRemove: () => void;
}) {
  const { sidecar, role, selfTest } = config;
  const name = userModelName(sidecar);
  return (
    <div data-testid="current-model">
      <h3>{t('currentModelHeading', name)}</h3>
      <dl>
        <dt>{t('currentModelFile')}</dt>
        <dd>{sidecar.file}</dd>
        <dt>{t('currentModelLicence')}</dt>
        <dd>{sidecar.licence}</dd>
        <dt>{t('currentModelSource')}</dt>
        <dd>{sidecar.source}</dd>
        <dt>{t('currentModelInput')}</dt>
        <dd>
          {sidecar.input.size.width}×{sidecar.input.size.height}, {sidecar.input.channels}, {sidecar.input.resize}
        </dd>
        <dt>{t('currentModelSelfTest')}</dt>
        <dd>{selfTestLines(selfTest).join(' · ')}</dd>
      </dl>
      {failure && failure.model === name && (
        <p class="error" role="alert" data-testid="user-model-failure">
          {t('userModelFailedInCheck', failure.model, failure.error)}
        </p>
      )}
      <fieldset>
        <legend>{t('roleLegend')}</legend>
        {USER_MODEL_ROLES.map((option) => (
          <label>
            <input type="radio" name="role" value={option} checked={role === option} onChange={() => void setUserModelRole(option)} />{' '}
            <strong>{t(ROLE_LABELS[option][0])}</strong> — {t(ROLE_LABELS[option][1])}
          </label>
        ))}
      </fieldset>
      <button type="button" onClick={onRemove}>
        {t('removeModel', name)}
      </button>
    </div>
  );
}
