// The blog: the same web-app module, and a certificate beside it for the app the module made.
//   bin/flyform -chdir examples/module-blog -sandbox apply

def blog = module('blog', source: '../modules/fly-web-app') {
    appName = 'acme-blog'
}

certificate('www') {
    app = blog.app_name
    hostname = 'blog.acme.example'
}

output 'blog_url', blog.url
