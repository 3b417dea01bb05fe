import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { errorMessage } from '../api/client';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

interface Toasts {
  show: (kind: Toast['kind'], message: string) => void;
  error: (e: unknown) => void;
}

const ToastContext = createContext<Toasts | null>(null);

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => { setToasts((ts) => ts.filter((t) => t.id !== id)); }, []);
  const show = useCallback((kind: Toast['kind'], message: string) => {
    const id = nextId++;
    setToasts((ts) => [...ts.filter((t) => t.message !== message), { id, kind, message }].slice(-4));
    setTimeout(() => { dismiss(id); }, kind === 'error' ? 9000 : 4000);
  }, [dismiss]);
  const value = useMemo<Toasts>(() => ({ show, error: (e) => { show('error', errorMessage(e)); } }), [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span>{t.message}</span>
            <button type="button" className="icon" aria-label="Dismiss notification" onClick={() => { dismiss(t.id); }}><svg width={14} height={14} viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18" stroke="currentColor" strokeWidth={2} /></svg></button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToast outside ToastProvider');
  return toasts;
}
