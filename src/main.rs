fn main() -> std::process::ExitCode {
    irp::run()
}
