import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The host serves web/dist from the API's own origin; `npm run dev` proxies the API of a running `./neptune serve`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:7700' },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
  },
});
