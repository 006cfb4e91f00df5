export { connectTemporalClient, taskQueue, type TemporalClientOptions } from './client.js';
export { createPressroomWorker, type PressroomWorkerOptions } from './worker.js';
export { createActivities, type Activities, type ActivityDependencies } from './activities/index.js';
