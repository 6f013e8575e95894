/// The page, its style sheet and its script (Sources/OGIServer/Assets), compiled into the binary so the
/// server needs no files at run time and nothing is fetched from outside (no CDN; fonts are the system's).
enum PageAssets {
    static let html = String(decoding: PackageResources.index_html, as: UTF8.self)
    static let css = String(decoding: PackageResources.app_css, as: UTF8.self)
    static let js = String(decoding: PackageResources.app_js, as: UTF8.self)
}
