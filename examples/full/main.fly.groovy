// A complete app: addresses, a certificate, a secret, a volume and a machine that mounts it.
//   export DATABASE_URL=postgres://...
//   bin/flyform -chdir examples/full -sandbox apply

def orgSlug    = variable('org', 'personal')        // -var org=acme overrides
def regionCode = variable('region', 'iad')
def v6                                              // set inside the app block, read by an output

def web = app('web') {                              // fly_app.web
    name = 'flyform-full-web'
    org  = orgSlug
    v6 = ip 'v6'                                    // fly_ip.web_v6
    ip 'shared_v4'                                  // fly_ip.web_shared_v4
    certificate 'www.flyform-full.example'          // fly_certificate.web_www_flyform-full_example
    secret 'DATABASE_URL', env('DATABASE_URL')      // fly_secret.web_DATABASE_URL: never stored, never shown
}

def data = volume('web_data') {                     // fly_volume.web_data
    app = web
    name = 'data'
    region = regionCode
    sizeGb = 1
}

machine('web_1') {                                  // fly_machine.web_1
    app = web
    region = regionCode
    image = 'flyio/hellofly:latest'
    env PORT: '8080'
    guest cpuKind: 'shared', cpus: 1, memoryMb: 256
    service(internalPort: 8080) {
        port 80, handlers: ['http'], forceHttps: true
        port 443, handlers: ['tls', 'http']
    }
    check 'alive', type: 'tcp', port: 8080, interval: '15s', timeout: '10s'
    mount data, path: '/data'
    restart policy: 'on-failure', maxRetries: 3
}

output 'app_name', web.name
output 'ipv6', v6.address
output 'www_cname_target', web.certificate('www.flyform-full.example').dnsValidationTarget
