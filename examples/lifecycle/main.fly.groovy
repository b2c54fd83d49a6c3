// Safe beside `fly deploy`: flyform manages the app's volume, IPs and machines, fly deploy
// ships the images. Apply it with: flyform -chdir examples/lifecycle -sandbox apply
def web = app('web') {
    name = 'acme-lifecycle'
    ip 'v6'
    maxUnavailable = 1          // changes to its machines roll one at a time (strategy = 'immediate': all at once)
}

def data = volume('data') {
    app = web
    name = 'data'
    region = 'iad'
    sizeGb = 1
    preventDestroy true         // a plan that would destroy or replace it fails, even once this block is gone
}

machine('web_1') {
    app = web
    region = 'iad'
    image = 'flyio/hellofly:latest'
    env PORT: '8080'
    service(internalPort: 8080) {
        port 443, handlers: ['tls', 'http']
    }
    check 'alive', type: 'tcp', port: 8080, interval: '15s', timeout: '2s'
    mount data, path: '/data'
    waitForChecks '2m'          // apply waits this long for its checks to pass
    ignoreChanges 'image'       // fly deploy sets the image: flyform keeps what Fly has
}

machine('web_2') {
    app = web
    region = 'iad'
    image = 'flyio/hellofly:latest'
    env PORT: '8080'
    service(internalPort: 8080) {
        port 443, handlers: ['tls', 'http']
    }
    check 'alive', type: 'tcp', port: 8080, interval: '15s', timeout: '2s'
    ignoreChanges 'image'
}
