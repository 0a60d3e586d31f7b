/**
 * The local cloud's tenant id, which the local profile serves by default. It lives outside src/localcloud/ because
 * the bot's configuration reads it, and the production zip carries no local cloud (test/deploy/productionZip.test.ts).
 */
export const LOCAL_TENANT_ID = '6f1c2a9e-4b3d-4e8f-9a7c-2d5b8e1f0c34';
