// The configuration lives in the shared composition root; re-exported for scripts that import the app's path.
export { CONFIG_VARIABLES, ConfigError, describeConfig, loadConfig, type PlatformConfig } from '@gongzhi/platform-core';
