// A preview app per pull request: this configuration, applied in the workspace pr-N (one state
// per pull request in the team's PostgreSQL state), by preview.sh from any CI; the GitHub
// Actions workflow beside it (github-actions.yml) runs preview.sh on open, push and close.
//   FLYFORM_STATE=postgres://... FLYFORM_WORKSPACE=pr-7 FLYFORM_VAR_image=registry.fly.io/acme:abc123 flyform apply

def name = "acme-preview-${workspace}"
def commitImage = variable('image', 'flyio/hellofly:latest')     // the commit's image: FLYFORM_VAR_image
def region = variable('region', 'iad')

def web = app('web') {
    delegate.name = name
    ip 'v6'
    ip 'shared_v4'
    certificate "${workspace}.preview.acme.example".toString()
    secret 'PREVIEW_OF', workspace
    secret 'SESSION_KEY', env('PREVIEW_SESSION_KEY')          // from the CI's secret store, never in a file
}

machine('web_1') {
    app = web
    delegate.region = region
    image = commitImage
    env PORT: '8080'
    service(internalPort: 8080) {
        port 80, handlers: ['http'], forceHttps: true
        port 443, handlers: ['tls', 'http']
    }
    check 'alive', type: 'tcp', port: 8080, interval: '15s', timeout: '2s'
}

output 'app', name
output 'url', "https://${name}.fly.dev".toString()
