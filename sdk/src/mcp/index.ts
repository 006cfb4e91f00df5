export { createMcpServer, serveStdio, serveHttp, type HttpServeOptions } from './server.js';
