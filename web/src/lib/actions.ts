import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useToast } from './toast';

/** Query keys that a change to notes or folders makes stale. */
export const contentKeys = ['notes', 'folder-tree', 'system-info', 'tags', 'trash', 'search', 'backlinks', 'graph', 'note-titles', 'index-status', 'topics'];

/** Runs a change against the API: refreshes what it touched, toasts the server's problem detail on failure. */
export function useAction() {
  const queries = useQueryClient();
  const toast = useToast();
  return useCallback(async <T,>(change: () => Promise<T>, done?: string): Promise<T | undefined> => {
    try {
      const result = await change();
      await Promise.all(contentKeys.map((key) => queries.invalidateQueries({ queryKey: [key] })));
      if (done) toast.show('info', done);
      return result;
    } catch (e) {
      toast.error(e);
      return undefined;
    }
  }, [queries, toast]);
}
