import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '@fontsource-variable/inter/wght.css';
import './styles.css';
import { App } from './App';
import { ApiError } from './api/client';
import { ToastProvider } from './lib/toast';
import { WorkspaceProvider } from './lib/workspace';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      // A 4xx will not change by asking again.
      retry: (count, e) => !(e instanceof ApiError && e.status < 500) && count < 2,
    },
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queries}>
        <ToastProvider>
          <WorkspaceProvider>
            <App />
          </WorkspaceProvider>
        </ToastProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
