import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// Brand fonts Pressroom can render, each from its @fontsource package (no network at render
// time). Satori reads WOFF, not WOFF2. Latin and Latin Extended cover most brand copy.
const families = {
  Inter: { package: '@fontsource/inter', file: 'inter', subsets: ['latin', 'latin-ext'] },
  Roboto: { package: '@fontsource/roboto', file: 'roboto', subsets: ['latin', 'latin-ext'] },
  'Playfair Display': {
    package: '@fontsource/playfair-display',
    file: 'playfair-display',
    subsets: ['latin', 'latin-ext'],
  },
} as const;

export type FontFamily = keyof typeof families;
export const supportedFontFamilies = Object.keys(families) as FontFamily[];

export interface LoadedFont {
  name: string;
  data: Buffer;
  weight: 400 | 700;
  style: 'normal';
}

const cache = new Map<FontFamily, Promise<LoadedFont[]>>();

/** The brand's family when Pressroom ships it, Inter otherwise. */
export function resolveFontFamily(requested: string): FontFamily {
  const match = supportedFontFamilies.find((family) => family.toLowerCase() === requested.trim().toLowerCase());
  return match ?? 'Inter';
}

export function loadFontFamily(family: FontFamily): Promise<LoadedFont[]> {
  let loaded = cache.get(family);
  if (!loaded) {
    const spec = families[family];
    loaded = Promise.all(
      spec.subsets.flatMap((subset) =>
        ([400, 700] as const).map(async (weight) => ({
          name: family,
          weight,
          style: 'normal' as const,
          data: await readFile(require.resolve(`${spec.package}/files/${spec.file}-${subset}-${weight}-normal.woff`)),
        })),
      ),
    );
    cache.set(family, loaded);
  }
  return loaded;
}
