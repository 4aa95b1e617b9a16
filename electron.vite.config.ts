import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const r = (p: string) => resolve(__dirname, p);

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: r('main/hosts/electron/main.ts'),
          'job-worker': r('main/jobs/job-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: r('main/hosts/electron/preload.ts') },
        // A sandboxed preload must be CommonJS, whatever the package's "type".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: r('renderer'),
    plugins: [vue()],
    resolve: { alias: { '@shared': r('shared') } },
    build: {
      outDir: r('out/renderer'),
      minify: true,
      // Views are split (renderer/src/components/util/lazy.ts); ECharts alone stays one ~580 kB
      // chunk, loaded with the first chart.
      chunkSizeWarningLimit: 600,
      rollupOptions: { input: { index: r('renderer/index.html') } },
    },
  },
});
