export { EmulatorClock, EmulatorServer, type Fault } from './core.js';
export { TikTokEmulator, type TikTokEmulatorOptions, type EmulatedTikTokPost } from './tiktok.js';
