// A module: a web app with its addresses and one machine. Used by ../../module-shop and ../../module-blog:
//   def shop = module('shop', source: '../modules/fly-web-app') { appName = 'acme-shop'; region = 'ams' }
// Its blocks live at module.shop.fly_app.web and so on; its outputs are read as shop.url.

def appName    = variable('appName')
def regionCode = variable('region', 'iad')
def imageName  = variable('image', 'flyio/hellofly:latest')

def web = app('web') {
    name = appName
    ip 'v6'
    ip 'shared_v4'
}

machine('web_1') {
    app = web
    region = regionCode
    image = imageName
    env PORT: '8080'
    service(internalPort: 8080) {
        port 80, handlers: ['http'], forceHttps: true
        port 443, handlers: ['tls', 'http']
    }
}

output 'app_name', web.name
output 'url', "https://${appName}.fly.dev"
