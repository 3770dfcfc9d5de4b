// A photo request kept across reloads: the paint function's answer (presigned URLs, good for an hour) in
// sessionStorage, its id in the address bar (?painting=ID). A reload, or the browser restoring the tab, picks
// the request up where it was instead of showing an empty page while the painter works on.
const KEY = 'nst.painting';
const PARAM = 'painting';

/** The stored request named in the address bar, or null. */
export function storedRequest() {
  const id = new URL(window.location.href).searchParams.get(PARAM);
  const stored = readStored();
  return id && stored?.answer?.request_id === id ? stored : null;
}

/** The last request of this tab whatever the address says (to tell the visitor the painter is busy with it). */
export function lastRequest() {
  return readStored();
}

export function rememberRequest(record) {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(record));
  } catch {
    // storage full or disabled: the painting still works, only a reload loses it
  }
  const url = new URL(window.location.href);
  url.searchParams.set(PARAM, record.answer.request_id);
  history.replaceState(null, '', url);
}

export function updateRequest(changes) {
  const stored = readStored();
  if (stored) rememberRequest({ ...stored, ...changes });
}

function readStored() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
}
