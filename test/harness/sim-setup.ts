/**
 * Run once per test file (vite.config.ts setupFiles). Real portals refuse webhooks over plain HTTP
 * unless the administrator defined REST_APAUTH_ALLOW_HTTP; the simulators of this run listen on
 * loopback HTTP, so they stand for boxes that define it. Suites about the real default pass
 * `restApAuthAllowHttp: false` (or restore REAL_PORTAL_DEFAULTS).
 */
import { setSimDefaults } from '../portal-sim';

setSimDefaults({ restApAuthAllowHttp: true });
