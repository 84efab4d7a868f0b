# The demo (tools/Demo.ps1, what ./build.ps1 -Task Demo runs once it has built), run as a user runs it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'The demo' {
    It 'previews a retry of no id that would only fail again, as the README''s retry recipe filters them' {
        $run = Invoke-ChildPwsh -Script "& '$(Join-Path $RepoRoot 'tools/Demo.ps1')'" -NonInteractive

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $sections = $run.Output -split '(?m)^== '
        $errors = $sections | Where-Object { $_ -like 'Errors*' }
        $retry = $sections | Where-Object { $_ -like 'Retrying*' }
        # The failures the retry must leave out are there: a completed request (400) and an unknown id (404).
        $errors | Should -Match 'InvalidOperation'
        $errors | Should -Match 'ObjectNotFound'
        $retry | Should -Not -BeNullOrEmpty
        $retry | Should -Not -Match 'What if:'
        $retry | Should -Match 'Nothing to retry'
    }
}
