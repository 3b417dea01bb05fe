import { useId, useState, useSyncExternalStore, type SyntheticEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiError, errorMessage } from '../api/client';
import { authState, signIn, signOut, subscribe } from '../api/auth';
import { Dialog } from './Dialog';

export function useAuth() {
  return useSyncExternalStore(subscribe, authState);
}

/**
 * Token mode (server): asks for a personal access token once the API answers 401, checks it against the server, stores
 * it and reloads every query. Desktop mode never answers 401, so this never opens there.
 */
export function SignInDialog() {
  const auth = useAuth();
  const queries = useQueryClient();
  const [value, setValue] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const tokenId = useId();
  const rememberId = useId();
  if (!auth.required) return null;

  const submit = async (e: SyntheticEvent) => {
    e.preventDefault();
    const candidate = value.trim();
    if (!candidate) return;
    setChecking(true);
    setError(null);
    try {
      await api.checkToken(candidate);
      signIn(candidate, remember);
      setValue('');
      await queries.invalidateQueries();
    } catch (caught) {
      setError(caught instanceof ApiError && caught.isUnauthorized
        ? `The server did not accept this token: ${caught.detail}`
        : errorMessage(caught));
    } finally {
      setChecking(false);
    }
  };

  return (
    <Dialog title="Sign in to Neptune" className="sign-in" onClose={() => { /* nothing works without a token */ }}>
      <form onSubmit={(e) => { void submit(e); }}>
        <p>
          This Neptune server needs a personal access token. An administrator creates one on the server with{' '}
          <code>neptune tokens create --user NAME</code>; it is shown once and starts with <code>nep_</code>.
        </p>
        {auth.reason && !error && <p className="hint">{auth.reason}</p>}
        <label htmlFor={tokenId}>Access token</label>
        <input id={tokenId} type="password" autoComplete="off" spellCheck={false} autoFocus value={value}
          aria-invalid={error ? true : undefined} aria-describedby={error ? `${tokenId}-error` : undefined}
          onChange={(e) => { setValue(e.target.value); }} />
        {error && <p id={`${tokenId}-error`} className="error" role="alert">{error}</p>}
        <div className="checkbox">
          <input id={rememberId} type="checkbox" checked={remember} onChange={(e) => { setRemember(e.target.checked); }} />
          <label htmlFor={rememberId}>Remember on this device (otherwise until this tab closes)</label>
        </div>
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={!value.trim() || checking}>{checking ? 'Checking…' : 'Sign in'}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** Forgets the stored token and everything loaded with it. Shown only while a token is stored (never on the desktop). */
export function SignOutButton() {
  const auth = useAuth();
  const queries = useQueryClient();
  if (!auth.signedIn) return null;
  return (
    <button type="button" onClick={() => { signOut(); queries.clear(); }} title="Forget the access token on this device">Sign out</button>
  );
}
