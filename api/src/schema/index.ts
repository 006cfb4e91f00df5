import { builder } from './builder.js';
import './scalars.js';
import './errors.js';
import './server-info.js';
import './user.js';
import './notification.js';
import './organization.js';
import './api-token.js';
import './brand.js';
import './content.js';
import './audit.js';
import './social-account.js';
import './governance.js';
import './webhook.js';
import './ads.js';
import './live.js';

export const schema = builder.toSchema({ sortSchema: true });
