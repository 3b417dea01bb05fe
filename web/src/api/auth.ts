// The personal access token of token mode (server): kept for this tab in sessionStorage, or in localStorage when the
// user asked to be remembered; sent by the API client as `Authorization: Bearer`. Desktop mode answers no 401, so
// nothing here ever shows there.

const KEY = 'neptune.token';

export interface AuthState {
  /** A token is stored (so a sign-out control makes sense). */
  signedIn: boolean;
  /** The server refused a request for want of a (valid) token: ask for one. */
  required: boolean;
  /** The server's reason from its 401 problem answer. */
  reason: string | null;
}

let state: AuthState = { signedIn: readToken() !== null, required: false, reason: null };
const listeners = new Set<() => void>();

function readToken(): string | null {
  try {
    return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: the user signs in for each load
  }
}

function update(next: Partial<AuthState>) {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

export function token(): string | null {
  return readToken();
}

/** Stores the token for this tab, or on this device when `remember` (until signed out). */
export function signIn(value: string, remember: boolean) {
  clearStored();
  (remember ? localStorage : sessionStorage).setItem(KEY, value.trim());
  update({ signedIn: true, required: false, reason: null });
}

export function signOut() {
  clearStored();
  update({ signedIn: false, required: true, reason: null });
}

/** Called by the API client on a 401: the stored token (if any) is wrong, expired or revoked. */
export function authRequired(reason: string) {
  if (!state.required || state.reason !== reason) update({ required: true, reason });
}

export function authState(): AuthState {
  return state;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

function clearStored() {
  try {
    sessionStorage.removeItem(KEY);
    localStorage.removeItem(KEY);
  } catch { /* storage disabled: nothing stored */ }
}
