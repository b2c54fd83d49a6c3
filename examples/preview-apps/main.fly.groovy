// Preview apps, one per open pull request: a plain Groovy loop. Removing a PR from the list
// destroys its app and everything in it on the next apply.
//   bin/flyform -chdir examples/preview-apps -sandbox apply -var prs=pr-101,pr-102

def prs = variable('prs', 'pr-101,pr-102,pr-103').split(',').collect { it.trim() }.findAll { it }

prs.each { pr ->
    app("preview_${pr}") {
        name = "flyform-preview-${pr}"
        ip 'shared_v4'
        ip 'v6'
        secret 'PREVIEW_OF', pr
    }
}
