// A flyctl project keeps its fly.toml; flyform declares what fly.toml cannot say.
// flyToml reads the app, its machine (image, env, services, checks, [[vm]]) and the volume
// its [mounts] needs; the closure extends the app with its IPs, certificate and secret.
def shop = flyToml('fly.toml') {
    ip 'v6'
    ip 'shared_v4'
    certificate 'shop.acme.example'
    secret 'SESSION_KEY', env('SESSION_KEY')
    machines {
        ignoreChanges 'image'   // fly deploy sets the image; flyform keeps what it set
    }
}

output 'app', shop.name
