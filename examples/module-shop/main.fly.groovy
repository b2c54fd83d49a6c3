// The shop: one instance of the web-app module, in Amsterdam.
//   bin/flyform -chdir examples/module-shop -sandbox apply

def shop = module('shop', source: '../modules/fly-web-app') {
    appName = 'acme-shop'
    region = 'ams'
}

output 'shop_url', shop.url
