export { createPrismaClient, databaseUrlOf, type Database, type PrismaClientOptions } from './client.js';
export { ensureDatabase } from './database.js';
export { hashPassword, verifyPassword } from './password.js';
export * from '../generated/client/client.js';
