import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRoot, type Root } from 'react-dom/client';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { authState } from '../api/auth';
import { SignInDialog, SignOutButton } from './SignIn';

const unauthorized = () => new Response(JSON.stringify({
  title: 'Authentication required', status: 401,
  detail: "Send a personal access token as 'Authorization: Bearer <token>': an administrator creates one with `neptune tokens create --user NAME`.",
}), { status: 401, headers: { 'Content-Type': 'application/problem+json' } });
const tags = () => new Response(JSON.stringify([{ tag: 'kube', count: 2 }]), { status: 200, headers: { 'Content-Type': 'application/json' } });
const GOOD = 'nep_goodgoodgoodgoodgoodgoodgoodgoodgoodgoodgoo';

/** A server in token mode that accepts GOOD only. */
function tokenServer() {
  return vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const auth = (init?.headers as Record<string, string> | undefined)?.Authorization;
    if (auth !== `Bearer ${GOOD}`) return Promise.resolve(unauthorized());
    return Promise.resolve((input as string).startsWith('/api/tags') ? tags() : new Response('{}', { status: 200 }));
  });
}

function Tags() {
  const query = useQuery({ queryKey: ['tags'], queryFn: api.tags });
  return <p className="tags">{query.data ? query.data.map((t) => t.tag).join(',') : query.isError ? 'error' : 'loading'}</p>;
}

let root: Root | null = null;
beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  // jsdom has no modal dialogs: showModal just opens it.
  Object.assign(HTMLDialogElement.prototype, {
    showModal(this: HTMLDialogElement) { this.open = true; },
    close(this: HTMLDialogElement) { this.open = false; },
  });
});
afterEach(() => {
  root?.unmount();
  root = null;
  vi.restoreAllMocks();
});

function render(): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  root.render(<QueryClientProvider client={queries}><Tags /><SignOutButton /><SignInDialog /></QueryClientProvider>);
  return host;
}

function type(input: HTMLInputElement, value: string) {
  // React tracks the value it set; go through the native setter so onChange sees the change.
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('sign-in (token mode)', () => {
  it('never shows in desktop mode, where requests carry no token and get no 401', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockImplementation(() => Promise.resolve(tags()));
    expect(authState()).toEqual({ signedIn: false, required: false, reason: null });  // runs first: no earlier test signed in or out
    const host = render();
    await vi.waitFor(() => { expect(host.querySelector('.tags')?.textContent).toBe('kube'); });
    expect((fetch.mock.calls[0]?.[1]?.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(host.textContent).not.toContain('Sign out');
  });

  it('asks for a token after a 401, refuses a wrong one with the server reason, and reloads with a good one sent as a bearer token', async () => {
    const fetch = tokenServer();
    const host = render();
    await vi.waitFor(() => { expect(host.querySelector('.tags')?.textContent).toBe('error'); });
    expect(host.querySelector('dialog.sign-in')).not.toBeNull();
    expect(host.textContent).toContain('neptune tokens create --user NAME');
    expect(host.querySelector('button')?.textContent).not.toBe('Sign out');  // nothing stored yet

    const input = host.querySelector<HTMLInputElement>('dialog input[type=password]');
    if (!input) throw new Error('no token field');
    type(input, 'nep_wrong');
    host.querySelector<HTMLFormElement>('dialog form')?.requestSubmit();
    await vi.waitFor(() => { expect(host.querySelector('[role=alert]')?.textContent).toContain('did not accept this token'); });
    expect(sessionStorage.getItem('neptune.token')).toBeNull();

    type(input, ` ${GOOD} `);
    host.querySelector<HTMLFormElement>('dialog form')?.requestSubmit();
    await vi.waitFor(() => { expect(host.querySelector('.tags')?.textContent).toBe('kube'); });
    expect(host.querySelector('dialog.sign-in')).toBeNull();
    expect(sessionStorage.getItem('neptune.token')).toBe(GOOD);
    expect(localStorage.getItem('neptune.token')).toBeNull();  // not remembered unless asked
    const last = fetch.mock.calls.at(-1);
    expect(last?.[0]).toBe('/api/tags');
    expect((last?.[1]?.headers as Record<string, string>).Authorization).toBe(`Bearer ${GOOD}`);
    expect(last?.[1]?.credentials).toBe('omit');  // never served index.html's token-less preload
    expect(host.textContent).toContain('Sign out');
  });

  it('remembers the token in localStorage only when asked, and signing out forgets it and asks again', async () => {
    tokenServer();
    const host = render();
    await vi.waitFor(() => { expect(host.querySelector('dialog.sign-in')).not.toBeNull(); });
    const input = host.querySelector<HTMLInputElement>('dialog input[type=password]');
    if (!input) throw new Error('no token field');
    type(input, GOOD);
    host.querySelector<HTMLInputElement>('dialog input[type=checkbox]')?.click();
    host.querySelector<HTMLFormElement>('dialog form')?.requestSubmit();
    await vi.waitFor(() => { expect(localStorage.getItem('neptune.token')).toBe(GOOD); });
    expect(sessionStorage.getItem('neptune.token')).toBeNull();

    const signOutButton = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Sign out');
    signOutButton?.click();
    await vi.waitFor(() => { expect(host.querySelector('dialog.sign-in')).not.toBeNull(); });
    expect(localStorage.getItem('neptune.token')).toBeNull();
    expect(authState().signedIn).toBe(false);
  });

});
