// The quickstart: one Fly app. Run it on the built-in emulator with
//   bin/flyform -chdir examples/quickstart -sandbox apply -auto-approve
// and a second time to see that nothing changes.

def orgSlug = variable('org', 'personal')      // -var org=acme overrides

app('web') {                                   // address: fly_app.web
    name = 'flyform-quickstart-web'            // the app's global Fly name
    org  = orgSlug
}
