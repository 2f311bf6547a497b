/**
 * The documents that make iOS Universal Links and Android App Links work on the short domain.
 * They are computed once at start-up and served as fixed strings.
 */

export interface AppLinksOptions {
  /** A complete apple-app-site-association document, served as given (it wins over appIds). */
  appleDocument?: unknown;
  /** App IDs (`TEAMID.bundle.id`) that open short links. */
  appleAppIds?: readonly string[];
  /** Path patterns those apps handle; every short link by default. */
  applePaths?: readonly string[];
  /** A complete assetlinks.json document, served as given (it wins over the package fields). */
  androidDocument?: unknown;
  /** Android package name that opens short links. */
  androidPackage?: string;
  /** SHA-256 fingerprints (`AA:BB:…`) of the app's signing certificates. */
  androidFingerprints?: readonly string[];
}

/**
 * Build the AASA JSON. With app IDs it writes both the iOS 13+ `appIDs`/`components` keys and
 * the legacy `appID`/`paths` ones, so older devices match too.
 *
 * @example
 * buildAppleAppSiteAssociation({ appleAppIds: ['ABCDE12345.com.example.app'] });
 */
export function buildAppleAppSiteAssociation(options: AppLinksOptions): string {
  if (options.appleDocument !== undefined) return JSON.stringify(options.appleDocument);
  const paths = options.applePaths?.length ? options.applePaths : ['/*'];
  const details = (options.appleAppIds ?? []).map((appId) => ({
    appIDs: [appId],
    components: paths.map((path) => ({ '/': path })),
    appID: appId,
    paths,
  }));
  return JSON.stringify({ applinks: { apps: [], details } });
}

/**
 * Build Android's Digital Asset Links statement list (an empty list when not configured).
 *
 * @example
 * buildAssetLinks({ androidPackage: 'com.example.app', androidFingerprints: ['AA:…'] });
 */
export function buildAssetLinks(options: AppLinksOptions): string {
  if (options.androidDocument !== undefined) return JSON.stringify(options.androidDocument);
  if (!options.androidPackage) return '[]';
  return JSON.stringify([
    {
      relation: ['delegate_permission/common.handle_all_urls'],
      target: {
        namespace: 'android_app',
        package_name: options.androidPackage,
        sha256_cert_fingerprints: options.androidFingerprints ?? [],
      },
    },
  ]);
}
