import { lazy, Suspense } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from './api/client';
import { useRoute } from './lib/router';
import { useTheme } from './lib/theme';
import { Header } from './components/Header';
import { Sidebar } from './components/Sidebar';
import { TrashView } from './components/TrashView';
import { EmptyState } from './components/EmptyState';
import { SignInDialog } from './components/SignIn';

// The editor (CodeMirror, markdown-it) and the graph (sigma, graphology, ForceAtlas2) load when first opened,
// so the first load stays small.
const NotePane = lazy(() => import('./components/NotePane'));
const GraphView = lazy(() => import('./graph/GraphView'));

export function App() {
  const route = useRoute();
  const [theme, toggleTheme] = useTheme();
  const info = useQuery({ queryKey: ['system-info'], queryFn: api.systemInfo });

  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to the note</a>
      <Header theme={theme} onToggleTheme={toggleTheme} />
      <Sidebar />
      <main id="main" className="main" tabIndex={-1}>
        {route.name === 'note' && (
          <Suspense fallback={<p className="placeholder" role="status">Opening…</p>}>
            <NotePane key={route.id} id={route.id} />
          </Suspense>
        )}
        {route.name === 'graph' && (
          <Suspense fallback={<p className="placeholder" role="status">Loading the graph…</p>}>
            <GraphView />
          </Suspense>
        )}
        {route.name === 'trash' && <TrashView />}
        {route.name === 'home' && (info.data && info.data.counts.notes === 0 && info.data.counts.folders === 0
          ? <EmptyState dataDir={info.data.dataDir} />
          : <Home />)}
      </main>
      <SignInDialog />
    </div>
  );
}

function Home() {
  return (
    <div className="placeholder">
      <h1>Neptune</h1>
      <p>Pick a note from the list, search with <kbd>/</kbd>, or create one with <strong>New note</strong>.</p>
    </div>
  );
}
