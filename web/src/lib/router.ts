// A handful of client routes; the host answers index.html for each of them.
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'note'; id: number }
  | { name: 'graph' }
  | { name: 'trash' };

export function parseRoute(pathname: string): Route {
  const note = /^\/notes\/(\d+)\/?$/.exec(pathname);
  if (note?.[1]) return { name: 'note', id: Number(note[1]) };
  if (/^\/graph\/?$/.test(pathname)) return { name: 'graph' };
  if (/^\/trash\/?$/.test(pathname)) return { name: 'trash' };
  return { name: 'home' };
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'home': return '/';
    case 'note': return `/notes/${route.id}`;
    case 'graph': return '/graph';
    case 'trash': return '/trash';
  }
}

const listeners = new Set<() => void>();

export function navigate(route: Route, replace = false): void {
  const path = routePath(route);
  if (path === window.location.pathname) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  listeners.forEach((l) => { l(); });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, () => window.location.pathname);
  return parseRoute(path);
}
