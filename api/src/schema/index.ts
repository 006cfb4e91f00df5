import { builder } from './builder.js';
import './server-info.js';

export const schema = builder.toSchema();
