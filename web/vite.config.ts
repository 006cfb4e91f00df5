import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Dev mode (`pnpm dev:web`): Vite serves the dashboard with hot reload and passes the api's
// paths on to a running api (npm start's, unless PRESSROOM_API_URL names another).
const api = process.env.PRESSROOM_API_URL ?? 'http://127.0.0.1:4000';

const toApi = {
  target: api,
  changeOrigin: true,
};

export default defineConfig({
  plugins: [solid()],
  server: {
    proxy: {
      '/graphql': {
        ...toApi,
        ws: true,
        // The api trusts a socket's session cookie only from its own origin; through the proxy
        // the browser's origin is Vite's, so present the api's.
        configure: (proxy) => {
          proxy.on('proxyReqWs', (request) => request.setHeader('origin', api));
        },
      },
      '/media': toApi,
      '/connect': toApi,
    },
  },
  build: {
    target: 'es2022',
    // The build reports its own initial size (scripts/report-size.mjs).
    reportCompressedSize: false,
  },
});
