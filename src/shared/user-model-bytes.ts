/**
 * The user model's bytes, in the extension origin's IndexedDB: the options page writes them, the offscreen document
 * reads them. A model can be hundreds of megabytes, too big for a message or for extension storage. Keyed by sha256,
 * so a sidecar names its bytes; one model in use at a time.
 */
const DATABASE = 'frameproof-user-models';
const STORE = 'models';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`IndexedDB ${DATABASE} did not open`));
  });
}

async function transact<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest | void): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = act(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request?.result as T);
      transaction.onerror = transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    });
  } finally {
    db.close();
  }
}

/** Stores the bytes beside the model in use, which stays until the new one has passed its checks. */
export function saveUserModelBytes(sha256: string, bytes: ArrayBuffer): Promise<void> {
  return transact('readwrite', (store) => store.put(bytes, sha256));
}

export async function loadUserModelBytes(sha256: string): Promise<Uint8Array | undefined> {
  const bytes = await transact<ArrayBuffer | undefined>('readonly', (store) => store.get(sha256));
  return bytes ? new Uint8Array(bytes) : undefined;
}

/** Drops every stored model but `keep` (the one in use), or all of them. */
export async function deleteUserModelBytes(keep?: string): Promise<void> {
  const keys = await transact<IDBValidKey[]>('readonly', (store) => store.getAllKeys());
  await transact('readwrite', (store) => keys.filter((key) => key !== keep).forEach((key) => store.delete(key)));
}
