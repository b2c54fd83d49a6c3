// Imported from Fly with `flyform import app legacy-app`.
// Fly never shows secret values: each is read from an environment variable named after its app and itself.

def app_legacy_app = app('legacy-app') {
    name = 'legacy-app'
    org = 'personal'
    ip 'shared_v4'
    ip 'v6'
    certificate 'legacy.example.com'
    certificate 'www.legacy.example.com'
    secret 'API_KEY', env('LEGACY_APP_API_KEY')
    secret 'DATABASE_URL', env('LEGACY_APP_DATABASE_URL')
    secret 'SESSION_SECRET', env('LEGACY_APP_SESSION_SECRET')
}

def volume_legacy_app_data = volume('legacy-app_data') {
    app = app_legacy_app
    name = 'data'
    region = 'iad'
    sizeGb = 3
}

machine('legacy-app_web-1') {
    app = app_legacy_app
    name = 'web-1'
    region = 'iad'
    image = 'registry.fly.io/legacy-app:deployment-01'
    env PORT: '8080', PRIMARY_REGION: 'iad'
    guest cpuKind: 'shared', cpus: 1, memoryMb: 512
    service(protocol: 'tcp', internalPort: 8080, autostop: 'stop', autostart: true, minMachinesRunning: 0) {
        port 80, handlers: ['http'], forceHttps: true
        port 443, handlers: ['tls', 'http']
    }
    check 'alive', type: 'tcp', port: 8080, interval: '15s', timeout: '2s'
    mount volume_legacy_app_data, path: '/data'
    restart policy: 'on-failure', maxRetries: 3
    metadata fly_process_group: 'app', fly_platform_version: 'v2', fly_release_id: 'rel_1'
    ownerTag = false
}

machine('legacy-app_worker-1') {
    app = app_legacy_app
    name = 'worker-1'
    region = 'iad'
    image = 'registry.fly.io/legacy-app:deployment-01'
    env ROLE: 'worker'
    service(protocol: 'tcp', internalPort: 9090) {
        port 9090, handlers: ['http']
    }
    metadata fly_process_group: 'worker', fly_platform_version: 'v2'
    ownerTag = false
}
